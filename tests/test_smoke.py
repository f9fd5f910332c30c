def test_home_lists_exercises(client, make_exercise):
    make_exercise()
    page = client.get("/").get_data(as_text=True)
    assert "Ejercicio Valle Verde" in page
