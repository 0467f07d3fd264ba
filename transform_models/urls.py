app_name = "transform_models"

urlpatterns: list = []
